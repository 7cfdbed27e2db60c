import Foundation
import IntegrationsCore
import IntegrationsStore
import LibPQ
import Logging

/// `integrations import`: reads what `mongoexport` wrote for Rocket.Chat's `users`, `rocketchat_integrations`
/// and `rocketchat_integration_history` (one document per line, or `--jsonArray`; relaxed or canonical
/// Extended JSON), converts it to what the REST API shows, and upserts it by `_id` in batches. Bad records are
/// reported with their line and id and skipped; the rest is imported.
public struct Importer: Sendable {
    public struct Options: Sendable {
        /// The files to read, imported in this order: users, integrations, history.
        public var files: [(collection: ImportRepository.Collection, path: String)]
        /// Validate everything, write nothing (no database needed).
        public var dryRun: Bool
        public var batchSize: Int

        public init(files: [(collection: ImportRepository.Collection, path: String)], dryRun: Bool, batchSize: Int = 1000) {
            self.files = files
            self.dryRun = dryRun
            self.batchSize = batchSize
        }
    }

    /// A record that was not imported.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let collection: ImportRepository.Collection
        public let line: Int
        public let id: String?
        public let reason: String
        public var description: String { "\(collection.rawValue) line \(line) (_id \(id ?? "unknown")): \(reason)" }
    }

    public struct Summary: Sendable {
        public var imported: [ImportRepository.Collection: Int] = [:]
        public var problems: [Problem] = []
        public var seconds = 0.0
    }

    /// A file that cannot be read or split into documents stops the import.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let repository: ImportRepository?
    let logger: Logger

    /// `repository` is `nil` for a dry run.
    public init(repository: ImportRepository?, logger: Logger) {
        self.repository = repository
        self.logger = logger
    }

    public func run(_ options: Options) async throws -> Summary {
        var summary = Summary()
        let started = ContinuousClock.now
        let order: [ImportRepository.Collection] = [.users, .integrations, .history]
        for (collection, path) in options.files.sorted(by: { order.firstIndex(of: $0.collection)! < order.firstIndex(of: $1.collection)! }) {
            try await importFile(path, as: collection, options: options, into: &summary)
        }
        summary.seconds = (ContinuousClock.now - started) / .seconds(1)
        return summary
    }

    private func importFile(
        _ path: String,
        as collection: ImportRepository.Collection,
        options: Options,
        into summary: inout Summary
    ) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot open \(path)") }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let progress = ImportProgress(label: collection.rawValue, totalBytes: size)
        var splitter = JSONDocumentSplitter()
        var batch: [(line: Int, record: Converted)] = []
        // One batch is written while the next is read and converted, so PostgreSQL and the parsing overlap.
        var pending: Task<BatchResult, any Error>?
        var bytesRead = 0
        var records = 0
        func submit() async throws {
            if let pending { merge(try await pending.value, collection: collection, into: &summary) }
            pending = nil
            guard !batch.isEmpty else { return }
            let records = batch
            batch.removeAll(keepingCapacity: true)
            if options.dryRun || repository == nil {
                summary.imported[collection, default: 0] += records.count
            } else {
                pending = Task { try await write(records, collection: collection) }
            }
        }
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            let documents: [JSONDocumentSplitter.Document]
            do {
                documents = chunk.isEmpty ? try splitter.finish() : try splitter.feed(chunk)
            } catch {
                throw Failure(description: "\(path) line \(error.line): \(error.description)")
            }
            bytesRead += chunk.count
            for document in documents {
                records += 1
                switch Self.convert(document, as: collection) {
                case .success(let converted): batch.append((document.line, converted))
                case .failure(let problem): summary.problems.append(problem)
                }
                if batch.count >= options.batchSize { try await submit() }
            }
            progress.update(records: records, bytesRead: bytesRead)
            if chunk.isEmpty { break }
        }
        try await submit()
        try await submit()
        progress.finish(records: records, bytesRead: bytesRead)
        if let repository, !options.dryRun, summary.imported[collection, default: 0] > 0 {
            try await repository.vacuum(collection)
        }
    }

    /// What writing one batch achieved.
    private struct BatchResult: Sendable {
        var imported = 0
        var problems: [Problem] = []
    }

    private func merge(_ result: BatchResult, collection: ImportRepository.Collection, into summary: inout Summary) {
        summary.imported[collection, default: 0] += result.imported
        // Batches finish in order, so problems stay in line order.
        summary.problems += result.problems
        summary.problems.sort { ($0.collection.rawValue, $0.line) < ($1.collection.rawValue, $1.line) }
    }

    /// One record, converted and checked.
    private enum Converted: Sendable {
        case document(JSONValue)
        case user(JSONValue, tokens: [JSONValue])

        var id: String? {
            switch self {
            case .document(let document): document["_id"]?.stringValue
            case .user(let row, _): row["id"]?.stringValue
            }
        }
    }

    private static func convert(_ document: JSONDocumentSplitter.Document, as collection: ImportRepository.Collection) -> Result<Converted, Problem> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(document.bytes)
        } catch {
            return .failure(Problem(collection: collection, line: document.line, id: idGuess(document.bytes), reason: error.description))
        }
        let id = value["_id"].flatMap { $0.stringValue ?? $0["$oid"]?.stringValue }
        let plain: JSONValue
        do {
            plain = try ExtendedJSON.plain(value)
        } catch {
            return .failure(Problem(collection: collection, line: document.line, id: id, reason: error.description))
        }
        do {
            switch collection {
            case .integrations: return .success(Converted.document(try ImportedRecord.integration(plain)))
            case .history: return .success(Converted.document(try ImportedRecord.history(plain)))
            case .users:
                let (row, tokens) = try ImportedRecord.user(plain)
                return .success(Converted.user(row, tokens: tokens))
            }
        } catch {
            return .failure(Problem(collection: collection, line: document.line, id: id, reason: error.description))
        }
    }

    /// The `_id` of a document that does not parse, when it can be seen in the text.
    private static func idGuess(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let key = text.range(of: "\"_id\""), let open = text[key.upperBound...].firstIndex(of: "\"") else { return nil }
        let rest = text[text.index(after: open)...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }

    /// Writes a batch in one statement; when the database refuses it, writes its records one by one to
    /// import the good ones and report the bad ones.
    private func write(_ batch: [(line: Int, record: Converted)], collection: ImportRepository.Collection) async throws -> BatchResult {
        guard let repository else { return BatchResult(imported: batch.count) }
        var result = BatchResult()
        do {
            try await write(batch.map(\.record), collection: collection, to: repository)
            result.imported = batch.count
        } catch let error where error.kind == .unavailable {
            throw Failure(description: "database unavailable: \(error.message)")
        } catch {
            for (line, record) in batch {
                do {
                    try await write([record], collection: collection, to: repository)
                    result.imported += 1
                } catch {
                    if error.kind == .unavailable { throw Failure(description: "database unavailable: \(error.message)") }
                    result.problems.append(Problem(collection: collection, line: line, id: record.id, reason: error.message))
                }
            }
        }
        return result
    }

    private func write(_ records: [Converted], collection: ImportRepository.Collection, to repository: ImportRepository) async throws(StoreError) {
        switch collection {
        case .users:
            var users: [JSONValue] = []
            var tokens: [JSONValue] = []
            for case .user(let row, let userTokens) in records {
                users.append(row)
                tokens += userTokens
            }
            try await repository.upsert(users: users, tokens: tokens)
        case .integrations, .history:
            try await repository.upsert(records.compactMap { if case .document(let document) = $0 { document } else { nil } }, into: collection)
        }
    }
}
