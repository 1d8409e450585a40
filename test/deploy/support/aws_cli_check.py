"""Checks AWS CLI commands against the service models botocore ships (the CLI's own models).

Reads a JSON list of argument lists (each without the leading `aws`) on stdin and prints a JSON
list of problems: an unknown service or operation, an option the operation does not take, or a
required parameter that is missing. botocore comes with cfn-lint (via aws-sam-translator -> boto3).
"""
import json
import sys

import botocore.session
from botocore import xform_name

# CLI service names that differ from botocore's.
SERVICE_ALIASES = {"deploy": "codedeploy", "s3api": "s3"}
GLOBAL = {"region", "output", "query", "profile", "endpoint-url", "no-cli-pager", "debug", "no-paginate"}
PAGINATION = {"max-items", "starting-token", "page-size"}


def check(session, argv):
    service_name, op_name, rest = argv[0], argv[1], argv[2:]
    service = SERVICE_ALIASES.get(service_name, service_name)
    if service not in session.get_available_services():
        return f"aws {service_name}: unknown service"
    model = session.get_service_model(service)
    ops = {xform_name(o, "-"): o for o in model.operation_names}
    if op_name not in ops:
        return f"aws {service_name} {op_name}: unknown operation"
    op = model.operation_model(ops[op_name])
    members = op.input_shape.members if op.input_shape else {}
    allowed = {xform_name(m, "-"): s for m, s in members.items()}
    given = set()
    for token in rest:
        if not token.startswith("--"):
            continue
        flag = token[2:].split("=", 1)[0]
        if flag in GLOBAL or flag in PAGINATION:
            continue
        if flag.startswith("no-") and flag[3:] in allowed and allowed[flag[3:]].type_name == "boolean":
            given.add(flag[3:])
            continue
        if flag not in allowed:
            return f"aws {service_name} {op_name}: no option --{flag}"
        given.add(flag)
    required = op.input_shape.required_members if op.input_shape else []
    missing = [xform_name(m, "-") for m in required if xform_name(m, "-") not in given]
    if missing:
        return f"aws {service_name} {op_name}: missing --{', --'.join(missing)}"
    return None


def main():
    session = botocore.session.get_session()
    problems = [p for p in (check(session, argv) for argv in json.load(sys.stdin)) if p]
    json.dump(problems, sys.stdout)


if __name__ == "__main__":
    main()
