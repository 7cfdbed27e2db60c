"""Drives the service with the real Python client `rocketchat-api` (PyPI `rocketchat_API`), as its users do.

Usage: python rocketchat_api_client.py SERVER_URL USERNAME PASSWORD
Prints one line per check and a closing "N passed, N failed" line; exits non-zero on any failure.
"""
import sys

from rocketchat_API.rocketchat import RocketChat
from rocketchat_API.APIExceptions.RocketExceptions import RocketApiException

server_url, username, password = sys.argv[1:4]
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


rocket = RocketChat(username, password, server_url=server_url, timeout=10)
me = rocket.me()
check("login and me", me.get("username") == username and me.get("success") is True, me)

incoming = rocket.integrations_create(
    integrations_type="webhook-incoming", name="client incoming", enabled=True,
    username=username, channel="#general", script_enabled=False,
)
incoming_id = incoming["integration"]["_id"]
check("create incoming", incoming["integration"]["type"] == "webhook-incoming" and len(incoming["integration"]["token"]) == 48, incoming)

outgoing = rocket.integrations_create(
    integrations_type="webhook-outgoing", name="client outgoing", enabled=True, event="sendMessage",
    urls=["https://example.com/fake"], username=username, channel="#general", script_enabled=False,
)
outgoing_id = outgoing["integration"]["_id"]
check("create outgoing", outgoing["integration"]["urls"] == ["https://example.com/fake"], outgoing)

got = rocket.integrations_get(incoming_id)
check("get", got["integration"]["_id"] == incoming_id and got["success"] is True, got)

listed = list(rocket.integrations_list(name="client"))
ids = {item["_id"] for item in listed}
check("list (paginated iterator)", {incoming_id, outgoing_id} <= ids and all("_id" in item for item in listed), ids)

history = list(rocket.integrations_history(outgoing_id))
check("history (paginated iterator)", history == [], history)

updated = rocket.integrations_update(
    integrations_type="webhook-incoming", name="client incoming renamed", enabled=False,
    username=username, channel="#general", script_enabled=False, integration_id=incoming_id,
)
check("update", updated["integration"]["name"] == "client incoming renamed" and updated["integration"]["enabled"] is False, updated)

try:
    rocket.integrations_get("no-such-integration")
    check("get unknown raises", False, "no exception")
except RocketApiException as error:
    check("get unknown raises", error.status_code == 400 and error.error == "The integration does not exists.", vars(error))

for integration in (incoming, outgoing):
    removed = rocket.integrations_remove(integration["integration"]["type"], integration["integration"]["_id"])
    check(f"remove {integration['integration']['type']}", removed["integration"]["_id"] == integration["integration"]["_id"], removed)

logout = rocket.logout()
check("logout", logout.get("status") == "success", logout)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
