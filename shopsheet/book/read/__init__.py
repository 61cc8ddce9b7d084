"""Reading a workbook file: parsing sheets (fastexcel, calamine) into typed frames, keeping
those frames up to date with a run's own writes, and reading ahead on a second core."""
