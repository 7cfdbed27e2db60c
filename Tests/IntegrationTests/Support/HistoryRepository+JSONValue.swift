import IntegrationsCore
import IntegrationsStore

extension HistoryRepository {
    /// Inserts a record the test built as a value.
    func insert(_ record: JSONValue) async throws(StoreError) {
        try await insert(document: record.text)
    }
}
