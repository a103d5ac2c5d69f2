"""Result order beyond the engines' scores: the title a query names best
(ranking), and the languages taken in turn (interleave)."""
