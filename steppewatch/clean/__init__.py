"""Text cleaning: decoding, control characters, HTML to text."""
