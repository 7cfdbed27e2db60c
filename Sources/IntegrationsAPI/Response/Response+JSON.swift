import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON response with the headers Rocket.Chat's REST API sends on every answer.
    static func json(status: HTTPResponse.Status = .ok, _ body: ByteBuffer) -> Response {
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.readableBytes)
        headers[.cacheControl] = "no-store"
        headers[.pragma] = "no-cache"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
