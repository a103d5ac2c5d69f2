"""The language analysis every engine shares: the bilingual analyzer
(normalisation, stems, clitic readings, the reviewed tables in data/), Arabizi
readings, and highlighting with the same analysis."""
