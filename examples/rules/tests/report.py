# Annotated example file: `codetable test examples/rules` checks each marker.
import logging

log = logging.getLogger(__name__)


def report(rows):
    print(rows)  # codetable: expect house.debug.print-call
    log.info("%d rows", len(rows))  # codetable: ok house.debug.print-call
