"""Getting data in: what the user typed (`targets`), the family it means (`resolve`), the
commits of each repository (`fetch`, through `sources/`), commits CSV files and batches."""
