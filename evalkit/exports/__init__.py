"""What leaves evalkit as files: score exports, blank templates, the bundled sample."""
