"""The query language and its widenings: the parser, the engine-neutral
query tree, the expanders (entity names, the thesaurus, Arabizi, the clitic
fallback) with the registers they read, and "did you mean"."""
