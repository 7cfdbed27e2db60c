/// Merges Prometheus text expositions (format 0.0.4) of several processes into one: the samples of every
/// worker get a `worker="<slot>"` label, and each metric family appears once with its `# HELP`/`# TYPE` lines
/// and all its samples together, as the format requires.
enum MetricsExposition {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    struct Family {
        var comments: [Substring] = []
        var samples: [String] = []
    }

    /// `own` is the supervisor's (unlabelled); `workers` are (slot, exposition) pairs.
    static func merge(own: String, workers: [(slot: Int, text: String)]) -> String {
        var order: [String] = []
        var families: [String: Family] = [:]
        func add(_ text: String, label: String?) {
            var current = ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix("#") {
                    let parts = line.split(separator: " ", maxSplits: 3)
                    guard parts.count >= 3, parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                    current = String(parts[2])
                    if families[current] == nil {
                        order.append(current)
                        families[current] = Family()
                    }
                    if !(families[current]?.comments.contains(line) ?? false) { families[current]?.comments.append(line) }
                    continue
                }
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                // A sample whose family was not announced (or a histogram's _bucket/_sum/_count) joins the current one.
                let family = families[name] != nil ? name : (current.isEmpty ? name : current)
                if families[family] == nil {
                    order.append(family)
                    families[family] = Family()
                }
                families[family]?.samples.append(label.map { labelled(line, with: $0) } ?? String(line))
            }
        }
        add(own, label: nil)
        for worker in workers.sorted(by: { $0.slot < $1.slot }) {
            add(worker.text, label: #"worker="\#(worker.slot)""#)
        }
        var output = ""
        for name in order {
            guard let family = families[name] else { continue }
            for comment in family.comments { output += comment + "\n" }
            for sample in family.samples { output += sample + "\n" }
        }
        return output
    }

    /// `name{a="b"} 1` → `name{worker="0",a="b"} 1`; `name 1` → `name{worker="0"} 1`.
    static func labelled(_ sample: Substring, with label: String) -> String {
        guard let end = sample.firstIndex(where: { $0 == "{" || $0 == " " }) else { return String(sample) }
        if sample[end] == "{" {
            let rest = sample[sample.index(after: end)...]
            return String(sample[..<end]) + "{" + label + (rest.hasPrefix("}") ? "" : ",") + rest
        }
        return String(sample[..<end]) + "{" + label + "}" + sample[end...]
    }
}
