"""Pure pandas: no files, no Excel, no clock. Functions take DataFrames and an explicit `today`
and return DataFrames plus a list of problems."""
