"""Parse a Prometheus text exposition (the file named by argv[1]) with the reference client's parser
(python3-prometheus-client) and print one sample per line: TYPE NAME{label=value,...} VALUE, labels
sorted. A document the parser refuses prints "error: ..." and exits 1."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    try:
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                print(f"{family.type} {s.name}{{{labels}}} {s.value:g}")
    except Exception as e:  # the parser raises ValueError and others on a bad document
        print(f"error: {e}")
        return 1
    print("end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
