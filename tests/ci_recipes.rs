//! The recipes for CI engines (examples/ci/, .clusterfuzzlite/) parse and have
//! the shape they promise: a matrix of `selc verify --shard` jobs uploading their
//! reports, a job merging them with `selc report merge` and publishing JUnit, and
//! ClusterFuzzLite building the fuzz targets that exist and running them on pull
//! requests and nightly.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

fn load(path: &str) -> Yaml {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(docs.len(), 1, "{path}");
    docs.remove(0)
}

/// Every `run:` line and `uses:` of a job's steps.
fn steps(job: &Yaml) -> (Vec<String>, Vec<String>) {
    let steps = job["steps"].as_vec().expect("steps");
    let run = steps
        .iter()
        .filter_map(|s| s["run"].as_str().map(String::from))
        .collect();
    let uses = steps
        .iter()
        .filter_map(|s| s["uses"].as_str().map(String::from))
        .collect();
    (run, uses)
}

#[test]
fn the_github_actions_recipe_shards_then_merges() {
    let w = load("examples/ci/github-actions.yml");
    let verify = &w["jobs"]["verify"];
    let shards = verify["strategy"]["matrix"]["shard"]
        .as_vec()
        .expect("a shard matrix");
    let n = shards.len();
    assert!(n >= 2, "{n} shards");
    let (run, uses) = steps(verify);
    let cmd = run
        .iter()
        .find(|r| r.contains("selc verify"))
        .expect("selc verify");
    assert!(
        cmd.contains(&format!("--shard ${{{{ matrix.shard }}}}/{n}")),
        "{cmd}"
    );
    for flag in ["--report", "--junit", "--seed", "--cases", "--scope"] {
        assert!(cmd.contains(flag), "{flag} missing: {cmd}");
    }
    assert!(uses
        .iter()
        .any(|u| u.starts_with("actions/upload-artifact")));
    let merge = &w["jobs"]["merge"];
    assert_eq!(merge["needs"].as_str(), Some("verify"));
    let (run, uses) = steps(merge);
    let cmd = run
        .iter()
        .find(|r| r.contains("selc report merge"))
        .expect("selc report merge");
    assert!(cmd.contains("--out") && cmd.contains("--junit"), "{cmd}");
    for i in 1..=n {
        assert!(
            cmd.contains(&format!("report-{i}.json")),
            "shard {i} not merged: {cmd}"
        );
    }
    assert!(uses
        .iter()
        .any(|u| u.starts_with("actions/download-artifact")));
    assert!(
        uses.iter().any(|u| u.contains("junit")),
        "the JUnit file is not published"
    );
}

#[test]
fn the_clusterfuzzlite_recipes_build_and_run_every_fuzz_target() {
    assert_eq!(
        load(".clusterfuzzlite/project.yaml")["language"].as_str(),
        Some("rust")
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let build = std::fs::read_to_string(root.join(".clusterfuzzlite/build.sh")).unwrap();
    let fuzz_manifest = std::fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
    let targets: Vec<&str> = fuzz_manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|n| *n != "selc-fuzz")
        .collect();
    assert_eq!(targets.len(), 6, "{targets:?}");
    // The broken example's target exists to be found by the smoke run; a
    // continuous fuzzer would report it for ever.
    for t in targets.iter().filter(|t| **t != "example_engine_broken") {
        assert!(build.contains(t), "build.sh does not build {t}");
    }
    let docker = std::fs::read_to_string(root.join(".clusterfuzzlite/Dockerfile")).unwrap();
    assert!(docker.contains("base-builder-rust") && docker.contains("build.sh"));
    for (file, mode) in [
        ("examples/ci/cflite/pull-request.yml", "code-change"),
        ("examples/ci/cflite/nightly.yml", "batch"),
    ] {
        let w = load(file);
        let jobs = w["jobs"].as_hash().expect("jobs");
        let (_, job) = jobs.iter().next().expect("a job");
        let (_, uses) = steps(job);
        assert!(
            uses.iter()
                .any(|u| u.contains("clusterfuzzlite/actions/build_fuzzers")),
            "{file}"
        );
        assert!(
            uses.iter()
                .any(|u| u.contains("clusterfuzzlite/actions/run_fuzzers")),
            "{file}"
        );
        let run = job["steps"]
            .as_vec()
            .unwrap()
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.contains("run_fuzzers"))
            })
            .unwrap();
        assert_eq!(run["with"]["mode"].as_str(), Some(mode), "{file}");
    }
}
