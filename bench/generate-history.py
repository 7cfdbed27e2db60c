"""Writes N integration history records as mongoexport writes them (one relaxed Extended JSON document per line),
shaped like the API page's example record, spread over 1,000 integrations. Usage: generate-history.py N FILE"""
import json
import sys

count, path = int(sys.argv[1]), sys.argv[2]
template = {
    "type": "outgoing-webhook", "step": "after-http-call", "event": "roomJoined",
    "integration": {"event": "roomJoined", "enabled": True, "username": "rocket.cat", "channel": ["#general"],
                    "name": "benchmark", "triggerWords": ["!webhook"], "urls": ["http://localhost:3000/hook"]},
    "data": {"token": "xMxa3o95xzJSpbyEjz4Z72LJ", "bot": False, "channel_id": "GENERAL", "channel_name": "general",
             "user_id": "8pdja8tTb2s2XbvkQ", "user_name": "dsds",
             "user": {"_id": "8pdja8tTb2s2XbvkQ", "createdAt": {"$date": "2019-11-29T14:14:36.936Z"}, "username": "dsds",
                      "emails": [{"address": "ddsds@d.com", "verified": False}], "type": "user", "status": "offline",
                      "active": True, "roles": ["user"], "name": "dsdsds", "settings": {}},
             "room": {"_id": "GENERAL", "ts": {"$date": "2019-10-17T22:56:31.861Z"}, "t": "c", "name": "general",
                      "msgs": {"$numberInt": "125"}, "usersCount": 45, "default": True,
                      "lastMessage": {"_id": "6CiNGq8FPEYCfceNL", "rid": "GENERAL", "msg": "!webhook",
                                      "u": {"_id": "CaevAPDbXN252kyXa", "username": "marcos.defendi"}}}},
    "url": "http://localhost:3000/hook",
}
with open(path, "w") as out:
    for i in range(count):
        record = dict(template)
        record["_id"] = "h%016d" % i
        record["integration"] = dict(template["integration"], _id="i%05d" % (i % 1000))
        millis = 1575036927518 + i * 1000
        record["_createdAt"] = {"$date": {"$numberLong": str(millis)}}
        record["_updatedAt"] = {"$date": {"$numberLong": str(millis + 88)}}
        out.write(json.dumps(record, separators=(",", ":")))
        out.write("\n")
