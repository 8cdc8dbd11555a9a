"""H5P interactive content: packages, the h5p-standalone player and xAPI results."""
