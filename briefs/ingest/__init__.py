"""Documents in, proposed facts out: read files, extract proposals by rule, review them into facts."""
