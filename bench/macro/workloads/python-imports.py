#!/usr/bin/python3
# name: python3 imports
# what: imports a large part of the standard library (~2 600 syscalls: 206 opens, 1 052 stats)
# quick: no
# run: /usr/bin/python3 python-imports.py
import json, sqlite3, email, http.client, xml.etree.ElementTree, asyncio
import decimal, unittest, argparse, csv, logging, subprocess, tempfile
import zipfile, tarfile
