"""The people the test provider knows: username, password and the NIP claim it releases (None: no claim)."""

PASSWORD = "Kata-Sandi-Penyedia-1"
CLIENT_ID = "lms-test"
CLIENT_SECRET = "lms-test-secret"

MATCHED_NIP = "198609262015051001"
INACTIVE_NIP = "198001012005012002"
UNKNOWN_NIP = "197001011990011999"
NO_PROFILE_NIP = "199001012015031003"

# username -> the value of the "nip" claim. The matched one is sent printed, with spaces, as some
# agency directories store it: the platform must normalise it as the sign-in form does.
ACCOUNTS = {
    "siti": "19860926 201505 1 001",
    "nonaktif": INACTIVE_NIP,
    "asing": UNKNOWN_NIP,
    "tanpaprofil": NO_PROFILE_NIP,
    "tanpanip": None,
}
