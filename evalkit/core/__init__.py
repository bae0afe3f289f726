"""What every layer shares: the errors, safe file writes, and the report-to-publisher contract."""
