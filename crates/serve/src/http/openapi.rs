//! The OpenAPI 3.1 description of `/api`, served at `/api/openapi.json`. Kept as a JSON file
//! beside the code; a test checks that it parses and names every API route of the router.

pub const SPEC: &str = include_str!("openapi.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_parses_and_documents_every_api_route() {
        let spec: serde_json::Value = serde_json::from_str(SPEC).expect("openapi.json is JSON");
        let paths = spec["paths"].as_object().expect("paths");
        let router_source = include_str!("mod.rs");
        for line in router_source.lines().filter(|l| l.contains(".route(\"/api/")) {
            let route = line.split('"').nth(1).expect("quoted route");
            if route == "/api/openapi.json" {
                continue;
            }
            assert!(paths.contains_key(route), "{route} is not in openapi.json");
        }
        assert!(spec["components"]["schemas"]["Error"].is_object());
    }
}
