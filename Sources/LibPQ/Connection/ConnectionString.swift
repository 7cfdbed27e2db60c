import CLibPQ

/// libpq connection strings (`postgres://…` URLs or `key=value` lists), checked without connecting.
public enum ConnectionString {
    /// Parses `conninfo` as libpq will; throws ``PostgresError/Code/invalidConfiguration`` with libpq's reason.
    public static func validate(_ conninfo: String) throws(PostgresError) {
        var error: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(conninfo, &error)
        defer {
            if let options { PQconninfoFree(options) }
            if let error { PQfreemem(error) }
        }
        guard let options else {
            let reason = error.map { String(cString: $0) } ?? "not a connection string"
            throw PostgresError(.invalidConfiguration, message: reason.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        // libpq checks the port only when it connects; a typo there should stop start-up, not time out later.
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "port", let value = option.pointee.val {
                let ports = String(cString: value).split(separator: ",", omittingEmptySubsequences: false)
                guard ports.allSatisfy({ port in port.isEmpty || Int(port).map { (1...65535).contains($0) } == true }) else {
                    throw PostgresError(.invalidConfiguration, message: "invalid port \"\(String(cString: value))\"")
                }
            }
            option += 1
        }
    }
}
