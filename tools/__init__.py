"""Developer tools that are not part of the app: the README screenshots and the browser harness they share
with the end-to-end tests."""
