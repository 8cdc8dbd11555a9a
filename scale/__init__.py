"""The province-scale data set of the report benchmarks and tests (``manage.py seed_scale``): test and
bench tooling, kept out of the apps the product runs. ``scale.seed`` is where to start reading."""
