import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 description of every route of the kiosk, served at `GET /openapi.json`. The one
/// source of truth: a test compares its operations with the routes the router really has, and CI
/// fuzzes the running binary with it (schemathesis). `HEAD` is answered wherever `GET` is (same
/// headers, no body) and is not listed; operations marked `x-samtale-demo` exist in the demo only.
public enum OpenAPIDocument {
    /// The document for a kiosk (`demo`: with the demo's own routes).
    public static func json(demo: Bool) -> Data {
        guard !demo, var object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let paths = object["paths"] as? [String: [String: Any]]
        else { return Data(text.utf8) }
        var kept: [String: [String: Any]] = [:]
        for (path, operations) in paths {
            let ops = operations.filter { _, op in (op as? [String: Any])?["x-samtale-demo"] as? Bool != true }
            if !ops.isEmpty { kept[path] = ops }
        }
        object["paths"] = kept
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(text.utf8)
    }

    /// Every operation of the document as `METHOD /path` (`demo`: with the demo's own).
    public static func operations(demo: Bool) -> [RouteTable.Route] {
        guard let object = (try? JSONSerialization.jsonObject(with: json(demo: demo))) as? [String: Any],
            let paths = object["paths"] as? [String: [String: Any]]
        else { return [] }
        return paths.flatMap { path, ops in
            ops.keys.filter { ["get", "post", "put", "delete", "patch", "head", "options"].contains($0) }.map {
                RouteTable.Route(method: $0.uppercased(), path: path)
            }
        }.sorted()
    }

    /// Adds `GET /openapi.json`.
    public static func add<Context: RequestContext>(to router: Router<Context>, demo: Bool) {
        let data = json(demo: demo)
        router.get("/openapi.json") { _, _ in RawBody(data, type: "application/json; charset=utf-8") }
    }

    public static let text = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Samtale kiosk",
            "version": "1",
            "description": "The door kiosk's HTTP interface. Public routes (the door page, /api/door, /events, /healthz, /metrics, /openapi.json) carry no names and no booking ids: a slot's id is an opaque token. Staff routes need a session (sign in at /signin). HEAD is answered wherever GET is, with the same headers and no body; a path under a method it does not have answers 405 with Allow. Every error is {\"error\": message}. Every route may answer 429 when a client sends too many requests."
          },
          "servers": [{ "url": "/" }],
          "tags": [
            { "name": "door", "description": "Public: the door page and its data." },
            { "name": "staff", "description": "Signed-in teachers and caretakers." },
            { "name": "operations", "description": "Public: health, metrics, this document." }
          ],
          "paths": {
            "/": {
              "get": {
                "tags": ["door"], "operationId": "doorPage", "summary": "The door page.",
                "parameters": [{ "name": "lang", "in": "query", "required": false, "description": "nb, da or en (others: the configured language).", "schema": { "type": "string" } }],
                "responses": { "200": { "$ref": "#/components/responses/Html" }, "429": { "$ref": "#/components/responses/TooMany" } }
              }
            },
            "/static/door.css": {
              "get": { "tags": ["door"], "operationId": "doorCSS", "summary": "The door page's style sheet.",
                "responses": { "200": { "description": "CSS", "content": { "text/css": { "schema": { "type": "string" } } } }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/static/door.js": {
              "get": { "tags": ["door"], "operationId": "doorJS", "summary": "The door page's script.",
                "responses": { "200": { "description": "JavaScript", "content": { "text/javascript": { "schema": { "type": "string" } } } }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/static/strings/{file}": {
              "get": { "tags": ["door"], "operationId": "doorStrings", "summary": "The door's strings in one language (nb.json, da.json, en.json).",
                "parameters": [{ "name": "file", "in": "path", "required": true, "schema": { "type": "string", "minLength": 1 }, "examples": { "nb": { "value": "nb.json" }, "en": { "value": "en.json" } } }],
                "responses": {
                  "200": { "description": "The catalogue", "content": { "application/json": { "schema": { "type": "object", "additionalProperties": { "type": "string" } } } } },
                  "404": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/api/door": {
              "get": { "tags": ["door"], "operationId": "door", "summary": "The door's state now.",
                "responses": { "200": { "$ref": "#/components/responses/Door" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/api/checkin": {
              "post": { "tags": ["door"], "operationId": "checkIn", "summary": "A check-in from the touch screen (the same path as the button). Takes no body.",
                "responses": { "200": { "$ref": "#/components/responses/Door" }, "403": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/api/demo/press": {
              "post": { "tags": ["door"], "operationId": "demoPress", "summary": "The simulated button (the demo only).", "x-samtale-demo": true,
                "responses": { "200": { "$ref": "#/components/responses/Door" }, "403": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/events": {
              "get": { "tags": ["door"], "operationId": "doorEvents", "summary": "Server-sent events: the door view (as /api/door) each time it changes, a ping event every 15 s.",
                "responses": { "200": { "$ref": "#/components/responses/Events" }, "429": { "$ref": "#/components/responses/TooMany" }, "503": { "$ref": "#/components/responses/Error" } } }
            },
            "/healthz": {
              "get": { "tags": ["operations"], "operationId": "health", "summary": "Ready or not, and why.",
                "responses": { "200": { "$ref": "#/components/responses/Health" }, "429": { "$ref": "#/components/responses/TooMany" }, "503": { "$ref": "#/components/responses/Health" } } }
            },
            "/metrics": {
              "get": { "tags": ["operations"], "operationId": "metrics", "summary": "Prometheus metrics (text exposition format 0.0.4).",
                "responses": { "200": { "description": "Metrics", "content": { "text/plain": { "schema": { "type": "string" } } } }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/openapi.json": {
              "get": { "tags": ["operations"], "operationId": "openapi", "summary": "This document.",
                "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/static/staff.css": {
              "get": { "tags": ["staff"], "operationId": "staffCSS", "summary": "The staff pages' style sheet.",
                "responses": { "200": { "description": "CSS", "content": { "text/css": { "schema": { "type": "string" } } } }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/static/staff.js": {
              "get": { "tags": ["staff"], "operationId": "staffJS", "summary": "The staff pages' script.",
                "responses": { "200": { "description": "JavaScript", "content": { "text/javascript": { "schema": { "type": "string" } } } }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/signin": {
              "get": { "tags": ["staff"], "operationId": "signInPage", "summary": "The sign-in page.",
                "parameters": [{ "name": "as", "in": "query", "required": false, "description": "teacher or caretaker.", "schema": { "type": "string" } }],
                "responses": { "200": { "$ref": "#/components/responses/Html" }, "429": { "$ref": "#/components/responses/TooMany" } } },
              "post": { "tags": ["staff"], "operationId": "signIn", "summary": "Sign in with the room's PIN (teacher) or a caretaker's token; throttled per client and for the kiosk as a whole.",
                "requestBody": { "required": true, "content": { "application/x-www-form-urlencoded": { "schema": {
                  "type": "object", "properties": { "role": { "type": "string", "enum": ["teacher", "caretaker"] }, "secret": { "type": "string", "maxLength": 256 } }, "required": ["secret"] } } } },
                "responses": {
                  "303": { "description": "Signed in: the session cookie is set and the browser sent to /teacher or /caretaker.", "headers": { "Location": { "schema": { "type": "string" } } } },
                  "400": { "$ref": "#/components/responses/Error" },
                  "401": { "$ref": "#/components/responses/Html" }, "403": { "$ref": "#/components/responses/HtmlOrError" },
                  "413": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/HtmlOrError" } } }
            },
            "/signout": {
              "post": { "tags": ["staff"], "operationId": "signOut", "summary": "Ends the session (needs the session's CSRF token).",
                "security": [{ "session": [], "csrf": [] }],
                "responses": {
                  "200": { "description": "Signed out", "content": { "application/json": { "schema": { "type": "object", "properties": { "signedOut": { "type": "boolean" } }, "required": ["signedOut"] } } } },
                  "403": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/teacher": {
              "get": { "tags": ["staff"], "operationId": "teacherPage", "summary": "The teacher's page (without a session: to the sign-in page).",
                "responses": { "200": { "$ref": "#/components/responses/Html" }, "303": { "$ref": "#/components/responses/ToSignIn" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/api/teacher": {
              "get": { "tags": ["staff"], "operationId": "teacher", "summary": "The teacher view (names and all) of the kiosk's room.",
                "security": [{ "session": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Object" }, "401": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/api/teacher/{action}": {
              "post": { "tags": ["staff"], "operationId": "teacherAction", "summary": "A teacher's action through the engine: start, end, extend, no-show, check-in, undo.",
                "security": [{ "session": [], "csrf": [] }],
                "parameters": [
                  { "name": "action", "in": "path", "required": true, "schema": { "type": "string", "enum": ["start", "end", "extend", "no-show", "check-in", "undo"] } },
                  { "name": "id", "in": "query", "required": false, "description": "The booking (the file's id).", "schema": { "type": "string" } },
                  { "name": "minutes", "in": "query", "required": false, "description": "For extend.", "schema": { "type": "integer" } }],
                "responses": {
                  "200": { "$ref": "#/components/responses/ActionResult" }, "409": { "$ref": "#/components/responses/ActionResult" },
                  "401": { "$ref": "#/components/responses/Error" }, "403": { "$ref": "#/components/responses/Error" },
                  "404": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/teacher/events": {
              "get": { "tags": ["staff"], "operationId": "teacherEvents", "summary": "The teacher view as server-sent events.",
                "security": [{ "session": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Events" }, "401": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" }, "503": { "$ref": "#/components/responses/Error" } } }
            },
            "/caretaker": {
              "get": { "tags": ["staff"], "operationId": "caretakerPage", "summary": "The caretaker's page (without a session: to the sign-in page).",
                "responses": { "200": { "$ref": "#/components/responses/Html" }, "303": { "$ref": "#/components/responses/ToSignIn" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            },
            "/api/caretaker": {
              "get": { "tags": ["staff"], "operationId": "caretaker", "summary": "Every room of the school and every kiosk's health, without names.",
                "security": [{ "session": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Object" }, "401": { "$ref": "#/components/responses/Error" }, "429": { "$ref": "#/components/responses/TooMany" } } }
            }
          },
          "components": {
            "securitySchemes": {
              "session": { "type": "apiKey", "in": "cookie", "name": "samtale_session" },
              "csrf": { "type": "apiKey", "in": "header", "name": "X-Samtale-CSRF" }
            },
            "responses": {
              "Html": { "description": "A page", "content": { "text/html": { "schema": { "type": "string" } } } },
              "HtmlOrError": { "description": "A page, or the JSON error", "content": { "text/html": { "schema": { "type": "string" } }, "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "Object": { "description": "A JSON view", "content": { "application/json": { "schema": { "type": "object" } } } },
              "Events": { "description": "An event stream: each event's data is the view as JSON; ping events keep the connection alive.", "content": { "text/event-stream": { "schema": {
                "type": "object", "properties": { "event": { "type": "string", "enum": ["message", "ping"] }, "data": { "type": "string" }, "retry": { "type": "integer" }, "id": { "type": "string" } } } } } },
              "ToSignIn": { "description": "To the sign-in page", "headers": { "Location": { "schema": { "type": "string" } } } },
              "Error": { "description": "The JSON error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "TooMany": { "description": "Too many requests from this client", "headers": { "Retry-After": { "schema": { "type": "string" } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "Door": { "description": "The door view", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DoorView" } } } },
              "Health": { "description": "Readiness", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Health" } } } },
              "ActionResult": { "description": "The engine's answer", "content": { "application/json": { "schema": {
                "type": "object", "properties": { "action": { "type": "string" }, "result": { "type": "string" } }, "required": ["action", "result"] } } } }
            },
            "schemas": {
              "Error": { "type": "object", "properties": { "error": { "type": "string" } }, "required": ["error"], "additionalProperties": false },
              "Time": { "type": "string", "description": "The school's local time with its UTC offset, e.g. 2026-11-24T14:00:00+01:00." },
              "Slot": {
                "type": "object", "additionalProperties": false,
                "required": ["id", "start", "end", "status", "lateMinutes", "waiting"],
                "properties": {
                  "id": { "type": "string", "description": "An opaque token (HMAC-SHA256 under the school's secret), never the booking's id.", "pattern": "^[a-p]{32}$" },
                  "start": { "$ref": "#/components/schemas/Time" }, "end": { "$ref": "#/components/schemas/Time" },
                  "status": { "type": "string", "enum": ["scheduled", "waiting", "in session", "done", "no-show", "cancelled"] },
                  "expectedStart": { "$ref": "#/components/schemas/Time" },
                  "lateMinutes": { "type": "integer", "minimum": 0 },
                  "waiting": { "type": "boolean" },
                  "identify": { "type": "string", "description": "A booking code or initials, when the school configured display.identify." }
                }
              },
              "Acknowledgement": {
                "type": "object", "additionalProperties": false, "required": ["at", "source", "result"],
                "properties": {
                  "at": { "$ref": "#/components/schemas/Time" },
                  "source": { "type": "string", "enum": ["button", "touch", "office"] },
                  "result": { "type": "string", "description": "checked-in, already-checked-in, not-yet, no-more-conferences or unavailable." },
                  "slotStart": { "$ref": "#/components/schemas/Time" }, "slotEnd": { "$ref": "#/components/schemas/Time" },
                  "expectedStart": { "$ref": "#/components/schemas/Time" }, "opensAt": { "$ref": "#/components/schemas/Time" },
                  "ahead": { "type": "integer", "minimum": 0 }
                }
              },
              "DoorView": {
                "type": "object", "additionalProperties": false,
                "required": ["room", "roomName", "teachers", "now", "light", "current", "next", "upcoming", "runningLateMinutes", "remainingSeconds", "overrunSeconds", "waitingCount", "nextWaiting", "checkInOpen", "acknowledgement", "dayOver", "clockTrusted", "teacherCue", "faults", "scheduleReadAt", "night", "checkInOpensAt"],
                "properties": {
                  "room": { "type": "string" }, "roomName": { "type": ["string", "null"] },
                  "teachers": { "type": "array", "items": { "type": "string" } },
                  "now": { "$ref": "#/components/schemas/Time" },
                  "light": { "type": "string", "enum": ["free", "waiting", "in-session", "ending-soon", "overrun", "closed", "fault"] },
                  "current": { "oneOf": [{ "$ref": "#/components/schemas/Slot" }, { "type": "null" }] },
                  "next": { "oneOf": [{ "$ref": "#/components/schemas/Slot" }, { "type": "null" }] },
                  "upcoming": { "type": "array", "items": { "$ref": "#/components/schemas/Slot" } },
                  "runningLateMinutes": { "type": "integer", "minimum": 0 },
                  "remainingSeconds": { "type": ["integer", "null"], "minimum": 0 },
                  "overrunSeconds": { "type": ["integer", "null"], "minimum": 0 },
                  "waitingCount": { "type": "integer", "minimum": 0 },
                  "nextWaiting": { "type": "boolean" }, "checkInOpen": { "type": "boolean" },
                  "acknowledgement": { "oneOf": [{ "$ref": "#/components/schemas/Acknowledgement" }, { "type": "null" }] },
                  "dayOver": { "type": "boolean" }, "clockTrusted": { "type": "boolean" },
                  "teacherCue": { "type": "string", "enum": ["none", "five-minutes", "one-minute", "overrun"] },
                  "faults": { "type": "array", "items": { "type": "string", "enum": ["schedule", "hardware", "clock"] } },
                  "scheduleReadAt": { "oneOf": [{ "$ref": "#/components/schemas/Time" }, { "type": "null" }] },
                  "night": { "type": ["string", "null"], "enum": ["dark", "clock", null] },
                  "checkInOpensAt": { "oneOf": [{ "$ref": "#/components/schemas/Time" }, { "type": "null" }] }
                }
              },
              "Health": {
                "type": "object", "additionalProperties": false, "required": ["ready", "clockTrusted", "faults"],
                "properties": {
                  "ready": { "type": "boolean" }, "scheduleLoaded": { "type": "boolean" }, "gpioAcquired": { "type": "boolean" },
                  "clockTrusted": { "type": "boolean" }, "faults": { "type": "array", "items": { "type": "string" } },
                  "reasons": { "type": "array", "items": { "type": "string" } }
                }
              }
            }
          }
        }
        """#
}
