"""Articles like an article: related ones in its language (shared rare
terms) and the other language's coverage of its event."""
