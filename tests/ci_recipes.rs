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

#[test]
fn the_selc_fuzz_recipe_fuzzes_pull_requests_briefly_and_nights_long_keeping_its_corpus() {
    let w = load("examples/ci/selc-fuzz.yml");
    let on = &w["on"];
    assert!(
        !on["pull_request"].is_badvalue(),
        "not run on pull requests"
    );
    let cron = on["schedule"].as_vec().expect("a nightly schedule");
    assert!(cron[0]["cron"].as_str().is_some());
    let jobs = w["jobs"].as_hash().expect("jobs");
    let (_, job) = jobs.iter().next().expect("a job");
    let steps_list = job["steps"].as_vec().expect("steps");
    let (run, uses) = steps(job);
    let fuzz = run
        .iter()
        .find(|r| r.contains("selc fuzz --impl") && !r.contains("--minimize"))
        .expect("a selc fuzz step");
    for flag in ["--corpus", "--time", "--report", "--junit", "--seed"] {
        assert!(fuzz.contains(flag), "{flag} missing: {fuzz}");
    }
    // Minutes on a pull request, longer at night.
    let pr_time = fuzz.contains("'pull_request' && '5m'") && fuzz.contains("'60m'");
    assert!(
        pr_time,
        "the fuzzing time does not depend on the event: {fuzz}"
    );
    // The corpus: fetched from the storage branch before, pushed back after,
    // but only when the run is not a pull request's.
    let corpus = fuzz
        .split("--corpus ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("a corpus directory");
    let fetch = run
        .iter()
        .position(|r| r.contains("git clone") && r.contains("CORPUS_BRANCH"))
        .expect("the corpus is fetched");
    let fuzz_at = run.iter().position(|r| r == fuzz).unwrap();
    assert!(fetch < fuzz_at, "the corpus is fetched after the run");
    let keep = steps_list
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains("git push")))
        .expect("the corpus is pushed back");
    let keep_run = keep["run"].as_str().unwrap();
    assert!(
        keep_run.contains(&format!("--corpus {corpus} --minimize")),
        "{keep_run}"
    );
    assert!(keep_run.contains("CORPUS_BRANCH"), "{keep_run}");
    let guard = keep["if"].as_str().unwrap_or("");
    assert!(
        guard.contains("github.event_name != 'pull_request'"),
        "pull requests would write the corpus: {guard:?}"
    );
    assert!(uses
        .iter()
        .any(|u| u.starts_with("actions/upload-artifact")));
}

/// The in-process target template of docs/fuzzing.md: the first ```rust
/// block after "The template".
fn fuzz_template() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/fuzzing.md")).unwrap();
    let from = doc
        .find("The template")
        .expect("docs/fuzzing.md: a template");
    let block = doc[from..].split("```rust\n").nth(1).expect("a rust block");
    block.split("```").next().unwrap().to_string()
}

#[test]
fn the_implementers_clusterfuzzlite_recipe_builds_the_documented_template() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("examples/ci/cflite-implementer");
    let read =
        |p: &str| std::fs::read_to_string(dir.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let target = read("fuzz/fuzz_targets/selc_differential.rs");
    assert_eq!(
        target,
        fuzz_template(),
        "the target is not the documented template"
    );
    assert!(target.contains("selc::fuzz::check("));
    let manifest = read("fuzz/Cargo.toml");
    assert!(
        manifest.contains("name = \"selc_differential\""),
        "{manifest}"
    );
    assert!(manifest.contains("path = \"fuzz_targets/selc_differential.rs\""));
    assert!(manifest.contains("selc = ") && manifest.contains("libfuzzer-sys"));
    let build = read(".clusterfuzzlite/build.sh");
    assert!(build.contains("cargo fuzz build") && build.contains("selc_differential"));
    assert!(build.contains("$OUT"), "{build}");
    assert_eq!(
        load("examples/ci/cflite-implementer/.clusterfuzzlite/project.yaml")["language"].as_str(),
        Some("rust")
    );
    let docker = read(".clusterfuzzlite/Dockerfile");
    assert!(docker.contains("base-builder-rust") && docker.contains("build.sh"));
    for (file, mode) in [
        ("cflite-pull-request.yml", "code-change"),
        ("cflite-nightly.yml", "batch"),
    ] {
        let w = load(&format!("examples/ci/cflite-implementer/workflows/{file}"));
        let jobs = w["jobs"].as_hash().expect("jobs");
        let (_, job) = jobs.iter().next().expect("a job");
        let (_, uses) = steps(job);
        assert!(uses
            .iter()
            .any(|u| u.contains("clusterfuzzlite/actions/build_fuzzers")));
        let run = job["steps"]
            .as_vec()
            .unwrap()
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.contains("run_fuzzers"))
            })
            .expect(file);
        assert_eq!(run["with"]["mode"].as_str(), Some(mode), "{file}");
        if mode == "batch" {
            assert!(
                run["with"]["storage-repo"].as_str().is_some(),
                "{file}: the nightly corpus is not kept"
            );
        }
    }
    // selc's own target on its example engine is the same template with the
    // example's adapter.
    let own = std::fs::read_to_string(root.join("fuzz/fuzz_targets/example_engine.rs")).unwrap();
    assert!(own.contains("selc::fuzz::check(") && own.contains("Options::from_env()"));
}

#[test]
fn the_github_actions_recipe_can_publish_a_checked_claim() {
    let w = load("examples/ci/github-actions.yml");
    let claim = &w["jobs"]["claim"];
    assert!(
        claim["if"]
            .as_str()
            .is_some_and(|c| c.contains("inputs.claim")),
        "optional"
    );
    let (run, uses) = steps(claim);
    let make = run
        .iter()
        .find(|r| r.contains("selc verify"))
        .expect("selc verify");
    assert!(
        make.contains("--claim selc-claim") && !make.contains("--shard"),
        "{make}"
    );
    assert!(run
        .iter()
        .any(|r| r.contains("selc claim check selc-claim")));
    let upload = claim["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact"))
        })
        .expect("the claim is published");
    assert_eq!(upload["with"]["path"].as_str(), Some("selc-claim"));
    assert!(uses.iter().any(|u| u.starts_with("actions/checkout")));
}

#[test]
fn the_root_action_installs_selc_verifies_and_uploads() {
    let a = load("action.yml");
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let inputs = a["inputs"].as_hash().expect("inputs");
    for name in ["implementation", "seed", "time", "shard", "claim"] {
        assert!(
            inputs.contains_key(&Yaml::String(name.into())),
            "no input {name}"
        );
    }
    assert_eq!(
        a["inputs"]["implementation"]["required"].as_bool(),
        Some(true)
    );
    let steps = a["runs"]["steps"].as_vec().expect("steps");
    // Every run step of a composite action names its shell.
    for s in steps.iter().filter(|s| s["run"].as_str().is_some()) {
        assert!(s["shell"].as_str().is_some(), "{s:?}");
    }
    let run: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let install = run
        .iter()
        .position(|r| r.contains("cargo install") && r.contains(" selc"))
        .expect("installs selc");
    let verify = run
        .iter()
        .position(|r| {
            r.contains("args=(verify --impl \"$SELC_IMPL\"") && r.contains("selc \"${args[@]}\"")
        })
        .expect("runs selc verify");
    assert!(install < verify);
    let body = run[verify];
    for flag in [
        "--shard", "--seed", "--time", "--cases", "--claim", "--report", "--junit",
    ] {
        assert!(body.contains(flag), "{flag}: {body}");
    }
    assert!(body.contains("selc claim check"), "the claim is checked");
    // The inputs reach the command.
    let verify_step = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("verify"))
        .unwrap();
    for (var, input) in [
        ("SELC_IMPL", "implementation"),
        ("SELC_SEED", "seed"),
        ("SELC_TIME", "time"),
        ("SELC_SHARD", "shard"),
        ("SELC_CLAIM", "claim"),
    ] {
        assert_eq!(
            verify_step["env"][var].as_str(),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{var}"
        );
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact"))
        })
        .expect("uploads the reports");
    assert_eq!(upload["if"].as_str(), Some("always()"));
    let paths = upload["with"]["path"].as_str().unwrap();
    for p in [
        "selc-report.json",
        "selc-junit.xml",
        "selc-failures",
        "${{ inputs.claim }}",
    ] {
        assert!(paths.contains(p), "{p} not uploaded");
    }
}
