"""Speed and load benchmarks of the bot on the national desk file, run as modules from the
repository root (``python -m benchmarks.bench_import PATH/TO/wilayah.csv``) so that they import
the project and the tests' support code as installed and checked out; never part of the tests.
"""
