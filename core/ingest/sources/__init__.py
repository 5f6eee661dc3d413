"""Clients for the two platforms: each turns remote answers into CommitRecord / ModelInfo."""
