//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import Foundation
import HTTPTypes
import Hummingbird

extension Response {
    /// Says how old the pool view the answer comes from is (`x-gshare-pool-view-age`,
    /// seconds): see ``PoolView``.
    func aged(_ age: Duration) -> Response {
        var response = self
        let milliseconds = age.components.seconds * 1000 + age.components.attoseconds / 1_000_000_000_000_000
        response.headers[HTTPField.Name("x-gshare-pool-view-age")!] = String(format: "%.3f", Double(milliseconds) / 1000)
        return response
    }
}

/// JSON bodies in and out of the share API.
enum JSONBody {
    /// The largest request body the API reads (its requests are a few hundred bytes).
    static let limit = 64 * 1024

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as a JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        response(try encoded(value), status: status)
    }

    /// `value` encoded, for ``response(_:status:)-(ByteBuffer,_)`` (and to keep).
    static func encoded(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try encoder.encode(value))
    }

    /// An encoded JSON body as a response.
    static func response(_ body: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }

    /// An empty answer (202 for actions and deletes).
    static func empty(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentLength: "0"])
    }

    /// The request body as `type`: 413 past ``limit``, 400 naming what is wrong when it is
    /// not JSON of that shape.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, what: String) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "body-too-large", "the request body is larger than \(limit) bytes: \(what) takes a small JSON object")
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("\(what): the request has no body; it takes a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw APIError.badRequest("\(what): the body is not what it takes: \(describe(error))")
        } catch {
            throw APIError.badRequest("\(what): the body is not JSON: \(error)")
        }
    }

    /// A decoding error in words: which field, and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "'" + keys.joined(separator: ".") + "'"
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)) must be \(Self.name(of: type))"
        case .valueNotFound(let type, let context): return "\(path(context)) must be \(Self.name(of: type)), not null"
        case .keyNotFound(let key, let context):
            return "\(context.codingPath.isEmpty ? "the body" : path(context)) lacks '\(key.stringValue)'"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            if context.codingPath.isEmpty { return "it is not JSON: " + (underlying ?? context.debugDescription) }
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        default: "an object"
        }
    }
}
