"""What the Family page shows about one family: the report, its commit table and exports."""
