//! `dauys register`: a citizen registers the credential it made (`dauys voter keygen`) with
//! the registrar's desk, in one round trip (`specs/protocol.md` §14.2 step 3): the desk checks
//! the certificate, its opening against the IIN and the IIN on the roll, and gives the
//! pseudonym P; the citizen checks the style against its precinct, signs (F_s, P, X[, style]) and proves it knows x; the desk posts the
//! registration. The citizen then checks that its registration is on the board.

use std::path::{Path, PathBuf};

use dauys::board::desk::{Admitted, PseudonymRequest, RegisterRequest};
use dauys::board::store::Board;
use dauys::crypto::group::to_hex;
use dauys::election::citizen_ca::CitizenKeys;
use dauys::election::manifest::Manifest;
use dauys::log::checkpoint::Receipt;
use dauys::log::event::Event;
use zeroize::Zeroizing;

use super::registrar::load_desk;
use super::voter::load_credential;
use super::{Outcome, fail, read, words};

#[derive(clap::Args)]
pub struct RegisterArgs {
    /// The election directory on this machine (the registrar's desk runs here, with
    /// --registrar-key).
    #[arg(long, required_unless_present = "board", conflicts_with = "board", requires = "registrar_key")]
    pub dir: Option<PathBuf>,
    /// With --dir: the registrar's key file (from `dauys registrar roll`).
    #[arg(long)]
    pub registrar_key: Option<PathBuf>,
    /// The running board's URL, started with `board serve --registrar-key` (it hosts the desk).
    #[arg(long)]
    pub board: Option<String>,
    /// With an https:// board: the CA certificate (PEM) that issued its certificate.
    #[arg(long, requires = "board")]
    pub ca: Option<PathBuf>,
    /// The citizen's key file (from the national CA; here `dauys ca issue`).
    #[arg(long)]
    pub citizen: PathBuf,
    /// The credential file from `dauys voter keygen` (its secret stays on this machine).
    #[arg(long)]
    pub credential: PathBuf,
    /// The citizen's IIN (12 digits).
    #[arg(long)]
    pub iin: String,
    /// The citizen's precinct, as its voter card says (required where the election has several
    /// ballot styles): the registration is signed only if the style the desk gives is this
    /// precinct's.
    #[arg(long)]
    pub precinct: Option<String>,
}

fn citizen_keys(path: &Path) -> Result<CitizenKeys, dauys::runner::RunError> {
    let text = Zeroizing::new(read(path)?);
    CitizenKeys::from_file(&text).map_err(|e| fail(format!("{}: {e}", path.display())))
}

/// The ballot style the desk gives, checked before the citizen signs it: where the election
/// has several styles, it must be the style of the precinct the citizen says it lives in (its
/// voter card's), since a registration is final (never superseded) and a registrar who put the
/// citizen in another district (on the roll, or by handing it another entry's pseudonym)
/// would otherwise move its vote there for good (`specs/protocol.md` §14.4). `None` where the
/// manifest has one style.
fn style_checked(
    manifest: &Manifest,
    given: Option<&str>,
    precinct: Option<&str>,
) -> Result<Option<String>, dauys::runner::RunError> {
    let styles = manifest.styles();
    match (styles.len(), given) {
        (1, None) => Ok(None),
        (1, Some(s)) => Err(fail(t!("register-style-unexpected", style = format!("{s:?}")))),
        (_, None) => Err(fail(t!("register-style-missing"))),
        (_, Some(id)) => {
            let precinct = precinct.ok_or_else(|| fail(t!("register-give-precinct")))?;
            let own = manifest
                .style_of_precinct(precinct)
                .ok_or_else(|| fail(t!("register-unknown-precinct", precinct = format!("{precinct:?}"))))?;
            if own.id != id {
                return Err(fail(t!(
                    "register-wrong-style",
                    given = format!("{id:?}"),
                    precinct = format!("{precinct:?}"),
                    own = format!("{:?}", own.id)
                )));
            }
            let lang = super::current();
            let contests: Vec<&str> = own.contests.iter().map(|&c| manifest.contests[c].title.get(lang)).collect();
            println!("{}", t!("register-style", style = id, precinct = precinct, contests = contests.join("; ")));
            Ok(Some(id.to_string()))
        }
    }
}

pub fn register(args: RegisterArgs) -> Outcome {
    let mut rng = rand::rng();
    let keys = citizen_keys(&args.citizen)?;
    let opening = *keys.opening.0;
    let (p, receipt, event, setup, board_key) = if let Some(url) = &args.board {
        let remote = super::remote::connect(url, args.ca.as_deref())?;
        let credential = load_credential(&args.credential, &remote.manifest.election_id)?;
        let x = credential.key_pair(&remote.manifest.election_id).secret;
        let ask = PseudonymRequest::new(&keys, &remote.setup, &args.iin);
        let answer = remote.client.post_json("/register/pseudonym", &ask).map_err(fail)?;
        let admitted: Admitted =
            serde_json::from_value(answer).map_err(|e| fail(t!("register-not-pseudonym", error = e.to_string())))?;
        let style = style_checked(&remote.manifest, admitted.style.as_deref(), args.precinct.as_deref())?;
        let p = admitted.pseudonym;
        let registration = keys.register_in(&remote.setup, p, style.as_deref(), &x, &mut rng);
        let event = Event::Registration(Box::new(registration.clone()));
        let request = RegisterRequest { iin: args.iin.clone(), opening, registration };
        let answer = remote.client.post_json("/register", &request).map_err(fail)?;
        let receipt: Receipt = serde_json::from_value(answer["receipt"].clone())
            .map_err(|e| fail(t!("register-no-receipt", error = e.to_string())))?;
        (p, receipt, event, remote.setup, remote.board_key)
    } else {
        let dir = args.dir.as_deref().ok_or_else(|| fail(t!("register-give-board")))?;
        let key = args.registrar_key.as_deref().ok_or_else(|| fail(t!("register-give-key")))?;
        let desk = load_desk(key)?;
        let mut board = Board::open(dir)?;
        let election_id =
            board.state().setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest.election_id.clone();
        desk.check_election(board.state()).map_err(fail)?;
        let credential = load_credential(&args.credential, &election_id)?;
        let x = credential.key_pair(&election_id).secret;
        let setup = board.setup_fingerprint();
        let admitted = desk.admit(board.state(), &PseudonymRequest::new(&keys, &setup, &args.iin)).map_err(fail)?;
        let manifest = &board.state().setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest;
        let style = style_checked(manifest, admitted.style.as_deref(), args.precinct.as_deref())?;
        let p = admitted.pseudonym;
        let registration = keys.register_in(&setup, p, style.as_deref(), &x, &mut rng);
        let request = RegisterRequest { iin: args.iin.clone(), opening, registration };
        desk.check(board.state(), &request).map_err(fail)?;
        let event = Event::Registration(Box::new(request.registration));
        let receipt = board.append(event.clone(), &mut rng).map_err(|e| match e {
            dauys::board::BoardError::Rejected(r) => fail(t!("register-refused", reason = r.reason)),
            other => other.into(),
        })?;
        (p, receipt, event, setup, board.board_key())
    };
    // The voter's own check: the board signed a log holding this very registration (its P and X).
    receipt.verify(&setup, &board_key).map_err(|e| fail(t!("register-bad-receipt", error = e.to_string())))?;
    if receipt.leaf_hash != event.leaf_hash() {
        return Err(fail(t!("register-receipt-not-ours")));
    }
    let Event::Registration(r) = &event else { unreachable!("built above") };
    println!("{}", t!("register-done", pseudonym = to_hex(&p.0), credential = r.credential.to_hex()));
    println!("   {}", t!("register-entry", index = receipt.index, size = receipt.checkpoint.size));
    println!("   {}", t!("register-after-shuffle"));
    Ok(())
}
