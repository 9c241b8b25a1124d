"""The versioned JSON API (DESIGN.md §2, issue 23): integration tokens, /api/v1/ and its OpenAPI schema."""
