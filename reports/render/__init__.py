"""One renderer per format over reports.document.Report: html (screen), pdf, xlsx."""
