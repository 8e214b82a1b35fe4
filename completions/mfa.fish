# SPDX-License-Identifier: MIT
# fish completion for mfa(1). User names are asked from mfa itself
# ("mfa users names": read-only, quiet, never creates a database).

function __mfa_user_names
    set -l tokens (commandline -opc)
    set -l db_args
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case --db --key-file --config
                set -a db_args $tokens[$i] $tokens[(math $i + 1)]
        end
    end
    $tokens[1] $db_args users names 2>/dev/null
end

function __mfa_option_key_is
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 4; and contains -- (string lower -- $tokens[-1]) $argv
end

set -l commands init options users status verify enroll backup-codes reset unlock audit db key
set -l keys internalMFA externalMFA enableMFABackupCodes mfaIssuer mfaAlgorithm mfaDigits mfaPeriod mfaWindow mfaBackupCodeCount mfaMaxFailedAttempts mfaLockoutMinutes

complete -c mfa -f
complete -c mfa -l db -r -F -d 'Database file'
complete -c mfa -l key-file -r -F -d 'Key file'
complete -c mfa -l config -r -F -d 'Configuration file'
complete -c mfa -l actor -x -d 'Who is acting, for the audit log'
complete -c mfa -l json -d 'Machine output: one JSON value'
complete -c mfa -s y -l yes -d 'Answer yes to confirmations'
complete -c mfa -l wide -d 'Full-width tables: never shorten a cell'
complete -c mfa -l version -d 'Print the version'
complete -c mfa -s h -l help -d 'Show help'

complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'init' -d 'Create the database and key file'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'options' -d 'View and change the MFA settings'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'users' -d 'Add, change, import, list, show, remove users'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'status' -d 'What a login of a user needs'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'verify' -d 'Check a login code'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'enroll' -d 'Start or confirm an enrollment'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'backup-codes' -d 'Make or count backup codes'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'reset' -d 'Remove enrollment, codes, failures and lock'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'unlock' -d 'Clear a lock and failure count'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'audit' -d 'Show the audit log'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'db' -d 'Copy the whole database into another one'
complete -c mfa -n "not __fish_seen_subcommand_from $commands" -a 'key' -d 'Check the key file against every sealed secret'

# init
complete -c mfa -n "__fish_seen_subcommand_from init" -l group -x -a '(__fish_complete_groups)' -d 'Share with a group'

# options
complete -c mfa -n "__fish_seen_subcommand_from options; and not __fish_seen_subcommand_from list get set" -a 'list get set'
complete -c mfa -n "__fish_seen_subcommand_from options; and __fish_seen_subcommand_from list" -l search -x -d 'Only matching settings'
complete -c mfa -n "__fish_seen_subcommand_from options; and __fish_seen_subcommand_from get set; and not __fish_seen_subcommand_from $keys" -a "$keys"
complete -c mfa -n "__fish_seen_subcommand_from options; and __mfa_option_key_is internalmfa externalmfa" -a 'off required optional'
complete -c mfa -n "__fish_seen_subcommand_from options; and __mfa_option_key_is enablemfabackupcodes" -a 'yes no'
complete -c mfa -n "__fish_seen_subcommand_from options; and __mfa_option_key_is mfaalgorithm" -a 'SHA1 SHA256 SHA512'
complete -c mfa -n "__fish_seen_subcommand_from options; and __mfa_option_key_is mfadigits" -a '6 8'

# users
complete -c mfa -n "__fish_seen_subcommand_from users; and not __fish_seen_subcommand_from add set import list names show remove" -a 'add set import list names show remove'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from set show remove" -a '(__mfa_user_names)'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from import" -F
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from add set" -l external -d 'An external user'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from add set" -l sso -d 'Signs in with SSO'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from add set" -l email -x -d 'E-mail address'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from set" -l internal -d 'Make internal'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from set" -l password -d 'Signs in with a password'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from list" -l search -x -d 'Only matching users'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from list" -l locked -d 'Only users locked out now'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from list" -l enrollment -x -a 'none pending active' -d 'Only this enrollment state'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from list" -l type -x -a 'internal external' -d 'Only this class'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from list" -l auth -x -a 'password sso' -d 'Only this sign-in method'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from import" -l update -d 'Update users that exist'
complete -c mfa -n "__fish_seen_subcommand_from users; and __fish_seen_subcommand_from import" -l dry-run -d 'Check every row, write nothing'

# one user
complete -c mfa -n "__fish_seen_subcommand_from status verify enroll reset unlock" -a '(__mfa_user_names)'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l qr -x -a 'utf8 ansi none' -d 'QR code form'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l svg -r -F -d 'Write the QR code as SVG'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l batch -r -F -d 'Enroll every user in FILE'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l svg-dir -r -a '(__fish_complete_directories)' -d 'With --batch: one SVG per user'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l confirm -x -d 'Confirm with the first code'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l export -x -a 'otpauth' -d 'Print the active enrollments as otpauth URIs'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l import -x -a 'google-authenticator users.oath otpauth' -d 'Read active enrollments from FILE'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l user -x -a '(__mfa_user_names)' -d 'With --export: only this user; with --import google-authenticator: whose file'
complete -c mfa -n "__fish_seen_subcommand_from enroll" -l show -d 'Show the pending enrollment again'
complete -c mfa -n "__fish_seen_subcommand_from reset unlock" -l reason -x -d 'Why, for the audit log'

# backup codes
complete -c mfa -n "__fish_seen_subcommand_from backup-codes; and not __fish_seen_subcommand_from generate status" -a 'generate status'
complete -c mfa -n "__fish_seen_subcommand_from backup-codes; and __fish_seen_subcommand_from generate status" -a '(__mfa_user_names)'

# audit
set -l actions options.set users.add users.set users.import users.remove enroll enroll.confirm verify backup-codes.generate reset unlock audit.prune db.copy enroll.export enroll.import key.rotate
complete -c mfa -n "__fish_seen_subcommand_from audit; and not __fish_seen_subcommand_from prune" -a 'prune' -d 'Delete the entries from before a time'
complete -c mfa -n "__fish_seen_subcommand_from audit; and not __fish_seen_subcommand_from prune" -l user -x -a '(__mfa_user_names)' -d 'Only entries about this user'
complete -c mfa -n "__fish_seen_subcommand_from audit; and not __fish_seen_subcommand_from prune" -l action -x -a "$actions" -d 'Only entries of this action'
complete -c mfa -n "__fish_seen_subcommand_from audit; and not __fish_seen_subcommand_from prune" -l since -x -d 'Only entries at or after TIME'
complete -c mfa -n "__fish_seen_subcommand_from audit; and not __fish_seen_subcommand_from prune" -l until -x -d 'Only entries before TIME'
complete -c mfa -n "__fish_seen_subcommand_from audit; and not __fish_seen_subcommand_from prune" -l limit -x -d 'Only the newest N'
complete -c mfa -n "__fish_seen_subcommand_from audit; and not __fish_seen_subcommand_from prune" -l csv -d 'Print RFC 4180 CSV'
complete -c mfa -n "__fish_seen_subcommand_from audit; and __fish_seen_subcommand_from prune" -l before -x -d 'Delete entries older than TIME'

# key
complete -c mfa -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from check rotate" -a 'check' -d 'Open every sealed secret with the key file'
complete -c mfa -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from check rotate" -a 'rotate' -d 'Wrap the data key under a new key file, or seal every secret under a new data key'
complete -c mfa -n "__fish_seen_subcommand_from key; and __fish_seen_subcommand_from rotate" -l new-key-file -r -d 'Wrap the data key under PATH'
complete -c mfa -n "__fish_seen_subcommand_from key; and __fish_seen_subcommand_from rotate" -l data -d 'Seal every secret again under a new data key'
# db
complete -c mfa -n "__fish_seen_subcommand_from db; and not __fish_seen_subcommand_from copy" -a 'copy' -d 'Copy the whole database into an empty one'
complete -c mfa -n "__fish_seen_subcommand_from db; and __fish_seen_subcommand_from copy" -l to -r -d 'The database to copy into: a path or a postgresql:// URI'
