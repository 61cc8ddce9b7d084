"""What is kept between runs: typed frames and piece maps of each workbook, in the user's
private cache folder, keyed by the bytes they were made from."""
