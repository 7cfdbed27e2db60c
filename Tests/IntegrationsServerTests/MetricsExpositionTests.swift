import Testing

@testable import IntegrationsServer

/// Merging the supervisor's and the workers' Prometheus texts into one valid exposition.
@Suite struct MetricsExpositionTests {
    @Test func workersAreLabelledAndFamiliesStayTogether() {
        let worker = """
            # TYPE http_requests_total counter
            http_requests_total{method="GET",route="/api/info",status="200"} 4
            # TYPE db_pool_max_connections gauge
            db_pool_max_connections 4.0
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{method="GET",le="0.005"} 4
            http_request_duration_seconds_sum{method="GET"} 0.01
            http_request_duration_seconds_count{method="GET"} 4

            """
        let merged = MetricsExposition.merge(
            own: "# TYPE integrations_workers gauge\nintegrations_workers 2.0\n",
            workers: [(1, worker), (0, worker)]
        )
        #expect(
            merged == """
                # TYPE integrations_workers gauge
                integrations_workers 2.0
                # TYPE http_requests_total counter
                http_requests_total{worker="0",method="GET",route="/api/info",status="200"} 4
                http_requests_total{worker="1",method="GET",route="/api/info",status="200"} 4
                # TYPE db_pool_max_connections gauge
                db_pool_max_connections{worker="0"} 4.0
                db_pool_max_connections{worker="1"} 4.0
                # TYPE http_request_duration_seconds histogram
                http_request_duration_seconds_bucket{worker="0",method="GET",le="0.005"} 4
                http_request_duration_seconds_sum{worker="0",method="GET"} 0.01
                http_request_duration_seconds_count{worker="0",method="GET"} 4
                http_request_duration_seconds_bucket{worker="1",method="GET",le="0.005"} 4
                http_request_duration_seconds_sum{worker="1",method="GET"} 0.01
                http_request_duration_seconds_count{worker="1",method="GET"} 4

                """
        )
    }

    @Test func aSampleWithoutLabelsGetsTheWorkerLabel() {
        #expect(MetricsExposition.labelled("up 1", with: #"worker="3""#) == #"up{worker="3"} 1"#)
        #expect(MetricsExposition.labelled("up{} 1", with: #"worker="3""#) == #"up{worker="3"} 1"#)
    }
}
