"""Shared presentation: template tags (lean_forms, lean_urls), widgets and number formatting used by
every app's pages; the page layout and components live in templates/layouts/ and templates/components/."""
