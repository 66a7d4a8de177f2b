"""The demo organisation: template files a council can copy, and the loader for them."""
