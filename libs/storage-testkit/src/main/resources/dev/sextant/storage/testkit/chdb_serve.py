#!/usr/bin/env python3
"""Serves the ClickHouse engine inside chDB's libchdb.so (npm: @chdb/lib-linux-x64-gnu) over HTTP
on loopback, for tests and benchmarks (see clickhouse-here.md section 7 in the shared reference).

It runs clickhouse-local's command-line entry point (chdb_query_cmdline), the one that can start
listeners, with SYSTEM START LISTEN and then a query that sleeps until it is killed. Stop it with
  KILL QUERY WHERE query_id = 'chdb-serve-keepalive'
or by killing the process (a crash, as far as ClickHouse can tell).

usage: chdb_serve.py LIBCHDB DATA_DIR HTTP_PORT TCP_PORT [extra clickhouse-local arguments]
"""
import ctypes
import os
import sys

lib_path, data, http_port, tcp_port = sys.argv[1:5]
extra = sys.argv[5:]
lib = ctypes.CDLL(lib_path)
lib.chdb_query_cmdline.restype = ctypes.c_void_p
lib.chdb_query_cmdline.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
lib.chdb_result_error.restype = ctypes.c_char_p
lib.chdb_result_error.argtypes = [ctypes.c_void_p]
keepalive = ("SELECT sleepEachRow(1) FROM numbers(1000000000) SETTINGS "
             "function_sleep_max_microseconds_per_block=0, max_block_size=1, max_execution_time=0 "
             "FORMAT Null")
query = (f"SYSTEM START LISTEN TCP; SYSTEM START LISTEN HTTP; {keepalive}; "
         "SYSTEM STOP LISTEN HTTP; SYSTEM STOP LISTEN TCP")
args = ["clickhouse", f"--path={data}", "--listen_host=127.0.0.1", f"--http_port={http_port}",
        f"--tcp_port={tcp_port}", "--query_id=chdb-serve-keepalive", "--multiquery",
        "--query", query] + extra
argv = (ctypes.c_char_p * len(args))(*[a.encode() for a in args])
print(f"pid={os.getpid()} serving {data} on 127.0.0.1:{http_port}", flush=True)
result = lib.chdb_query_cmdline(len(args), argv)
error = lib.chdb_result_error(result) if result else b"no result"
print("engine returned:", (error or b"ok").decode(errors="replace"), flush=True)
