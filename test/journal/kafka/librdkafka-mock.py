# Starts librdkafka's mock Kafka cluster (one broker on 127.0.0.1, from Debian's
# python3-confluent-kafka), prints {"bootstrap": "HOST:PORT"} on stdout, and keeps it running
# until stdin closes (the test process owns it that way, even if it dies).
import json
import logging
import sys
import time

from confluent_kafka import Producer

START_TIMEOUT_S = 10
found = []


class BootstrapHandler(logging.Handler):
    def emit(self, record):
        message = record.getMessage()
        if 'bootstrap.servers=' in message and not found:
            found.append(message.split('bootstrap.servers=')[1].split()[0])


logger = logging.getLogger('librdkafka-mock')
logger.addHandler(BootstrapHandler())
logger.setLevel(logging.DEBUG)
# The producer only hosts the mock cluster; librdkafka logs its address at debug level "mock".
host = Producer({'test.mock.num.brokers': 1, 'debug': 'mock', 'logger': logger}, logger=logger)
deadline = time.time() + START_TIMEOUT_S
while not found and time.time() < deadline:
    host.poll(0.05)
print(json.dumps({'bootstrap': found[0] if found else None}), flush=True)
if not found:
    sys.exit(1)
# Stop the debug logging: the mock would otherwise log every request it serves.
logger.removeHandler(logger.handlers[0])
sys.stdin.read()
