"""What the report notebooks display, inside the kernel: charts, tables, agency and portfolio
reports, the explorer. Only the notebooks import it; the runner never does."""
