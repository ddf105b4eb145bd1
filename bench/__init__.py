"""Benchmarks of the app against PostgreSQL's own limits (`make bench`, README "Benchmarks").

`python -m bench` creates (or reuses) a dedicated database named after DATABASE_URL's
server, loads a reproducible synthetic data set (`bench.generate`), measures every figure
of `bench.figures` side by side, prints the table and keeps the results under
`bench/results/`. It never touches the database DATABASE_URL names.
"""
