"""Search engines behind one seam.

The query language (`search.queries.query`) produces an engine-neutral tree
(`search.query_tree`); each engine compiles it and answers through the small
interface of `search.engines.base`. Engines are haystack backends, chosen by
`ARCHIVE_SEARCH_ENGINE` (`whoosh`, the default, or `postgres`), so haystack's
index definitions and commands serve both. Only the modules of this package
import an engine's library.
"""
