#!/usr/bin/python3
# name: python3 imports five modules
# what: json, sqlite3, asyncio, email and http.client (the store-memory case: ~130 image files opened)
# quick: yes
# run: /usr/bin/python3 python-import5.py
import json, sqlite3, asyncio, email, http.client
