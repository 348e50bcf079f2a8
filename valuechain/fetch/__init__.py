"""``valuechain add``: fetch review pages by URL into the inputs folder and the review sheet.

Pure parts (``ids``, ``sniff``, ``sheet``'s row updates, ``add.decide``) are separate from the I/O
(``client`` for HTTP and robots.txt, ``add`` for files). The Snakemake workflow never imports this
package: adding reviews is a separate, explicit step and the pipeline stays offline.
"""
