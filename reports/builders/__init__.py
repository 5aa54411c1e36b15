"""Report builders: plain functions of model objects returning reports.document.Report.

One module per report family. Each builder loads what it needs in a fixed number of
queries (no query per pupil or per lesson), so the same data can feed the screen,
the PDF and the XLSX renderers.
"""
