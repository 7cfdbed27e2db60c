import IntegrationsCore

/// Checks a sampled answer's body against what the data set says it must be.
enum AnswerCheck {
    /// `nil` when the body is right; otherwise what is wrong, for the report.
    static func problem(in body: [UInt8], expected: PlannedRequest.Expectation) -> String? {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            return "the body is not JSON (\(error))"
        }
        switch expected {
        case .integration(let id, let history):
            guard json["success"]?.boolValue == true else { return "success is not true" }
            guard let actual = json["integration"]?["_id"]?.stringValue else { return "no integration._id" }
            guard actual == id else { return "integration._id is \(actual), expected \(id)" }
            guard let history else {
                return json["history"] == nil ? nil : "a history key with historyCount=0"
            }
            guard let records = json["history"]?.arrayValue else { return "no history array" }
            guard records.count == history else { return "history has \(records.count) records, expected \(history)" }
            for record in records where record["integration"]?["_id"]?.stringValue != id {
                return "a history record of \(id) belongs to another integration"
            }
            return nil
        case .failure(let error):
            guard json["success"]?.boolValue == false else { return "success is not false" }
            let actual = json["error"]?.stringValue ?? "nothing"
            return actual == error ? nil : "error is \(actual), expected \(error)"
        }
    }
}
