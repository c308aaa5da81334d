"""`juesuan serve`: the toolkit as a local web page, for people who work in a browser and in Word/WPS.

Top layer, beside cli.py: it imports any layer below; nothing imports it except the CLI's `serve` command (lazily,
because FastAPI and uvicorn come with the optional extra `pip install -e '.[web]'`).

    config     what the server may do: where it keeps jobs, upload limits, password, how long jobs are kept
    store      sessions, jobs and uploaded templates as folders and JSON files on disk (they survive a restart)
    uploads    multipart uploads streamed straight into a job's folder with size limits; safe .zip extraction
    present    findings and results as rows for the pages
    scheduler  runs each job's work in its own worker process, a few at a time
    worker     `python -m generator.web.worker JOB_FOLDER`: one unit's documents, or a department's batch, and PDFs
    app        the FastAPI application: pages, forms, downloads
    server     `juesuan serve`: refuses an open network without a password, starts uvicorn, opens the browser
"""
