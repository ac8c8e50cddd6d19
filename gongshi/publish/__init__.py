"""Running a build so that nothing is lost: which output folders may be replaced, the staging
build, the check that the theme's files were built, and the atomic swap into place."""
