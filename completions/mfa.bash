# SPDX-License-Identifier: MIT
# bash completion for mfa(1). User names are asked from mfa itself
# ("mfa users names": read-only, quiet, never creates a database).

_mfa_words()
{
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$1" -- "$2"))
}

# _mfa_user_names MFA [--db PATH] [--key-file PATH] [--config PATH]
_mfa_user_names()
{
  "$@" users names 2>/dev/null
}

_mfa()
{
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD - 1]}
  local global_flags="--db --key-file --config --actor --json --yes -y --wide --help --version"
  local cmd="" sub="" i word
  local -a db_args=() args=()

  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      --db | --key-file | --config)
        db_args+=("$word" "${COMP_WORDS[i + 1]}")
        ((i++))
        continue
        ;;
      --actor | --group | --search | --email | --qr | --svg | --batch | --svg-dir | --confirm | --reason | --user | --export | --import | --limit | \
        --enrollment | --type | --auth | --action | --since | --until | --before)
        ((i++))
        continue
        ;;
      -*) continue ;;
    esac
    if [[ -z $cmd ]]; then
      cmd=$word
    elif [[ -z $sub && $cmd =~ ^(options|users|backup-codes|audit|db|key)$ ]]; then
      sub=$word
    else
      args+=("$word")
    fi
  done

  case $prev in
    --db | --key-file | --config | --svg | --batch | --to | --new-key-file)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
    --svg-dir)
      COMPREPLY=($(compgen -d -- "$cur"))
      return
      ;;
    --qr)
      _mfa_words $'utf8\nansi\nnone' "$cur"
      return
      ;;
    --export)
      _mfa_words $'otpauth' "$cur"
      return
      ;;
    --import)
      _mfa_words $'google-authenticator\nusers.oath\notpauth' "$cur"
      return
      ;;
    --enrollment)
      _mfa_words $'none\npending\nactive' "$cur"
      return
      ;;
    --type)
      _mfa_words $'internal\nexternal' "$cur"
      return
      ;;
    --auth)
      _mfa_words $'password\nsso' "$cur"
      return
      ;;
    --user)
      _mfa_words "$(_mfa_user_names "${COMP_WORDS[0]}" "${db_args[@]}")" "$cur"
      return
      ;;
    --action)
      _mfa_words $'options.set\nusers.add\nusers.set\nusers.import\nusers.remove\nenroll\nenroll.confirm\nverify\nbackup-codes.generate\nreset\nunlock\naudit.prune\ndb.copy\nenroll.export\nenroll.import\nkey.rotate' "$cur"
      return
      ;;
    --group)
      COMPREPLY=($(compgen -g -- "$cur"))
      return
      ;;
    --actor | --search | --email | --confirm | --reason | --limit | --since | --until | --before)
      return
      ;;
  esac

  local flags=""
  case "$cmd${sub:+ $sub}" in
    "") flags="" ;;
    init) flags="--group" ;;
    "options list") flags="--search" ;;
    "users add") flags="--external --sso --email" ;;
    "users set") flags="--internal --external --sso --password --email" ;;
    "users import") flags="--update --dry-run" ;;
    "users list") flags="--search --locked --enrollment --type --auth" ;;
    enroll) flags="--qr --svg --batch --svg-dir --confirm --show --export --import --user" ;;
    reset | unlock) flags="--reason" ;;
    audit) flags="--user --action --since --until --limit --csv" ;;
    "audit prune") flags="--before" ;;
    "db copy") flags="--to" ;;
    "key rotate") flags="--new-key-file --data" ;;
  esac
  if [[ $cur == -* ]]; then
    _mfa_words "$(printf '%s\n' $flags $global_flags)" "$cur"
    return
  fi

  case "$cmd${sub:+ $sub}" in
    "")
      _mfa_words $'init\noptions\nusers\nstatus\nverify\nenroll\nbackup-codes\nreset\nunlock\naudit\ndb\nkey' "$cur"
      ;;
    options)
      _mfa_words $'list\nget\nset' "$cur"
      ;;
    users)
      _mfa_words $'add\nset\nimport\nlist\nnames\nshow\nremove' "$cur"
      ;;
    backup-codes)
      _mfa_words $'generate\nstatus' "$cur"
      ;;
    audit)
      _mfa_words $'prune' "$cur"
      ;;
    db)
      _mfa_words $'copy' "$cur"
      ;;
    key)
      _mfa_words $'check\nrotate' "$cur"
      ;;
    "options get" | "options set")
      if ((${#args[@]} == 0)); then
        _mfa_words $'internalMFA\nexternalMFA\nenableMFABackupCodes\nmfaIssuer\nmfaAlgorithm\nmfaDigits\nmfaPeriod\nmfaWindow\nmfaBackupCodeCount\nmfaMaxFailedAttempts\nmfaLockoutMinutes' "$cur"
      elif [[ $sub == set && ${#args[@]} == 1 ]]; then
        case ${args[0],,} in
          internalmfa | externalmfa) _mfa_words $'off\nrequired\noptional' "$cur" ;;
          enablemfabackupcodes) _mfa_words $'yes\nno' "$cur" ;;
          mfaalgorithm) _mfa_words $'SHA1\nSHA256\nSHA512' "$cur" ;;
          mfadigits) _mfa_words $'6\n8' "$cur" ;;
        esac
      fi
      ;;
    "users import")
      COMPREPLY=($(compgen -f -- "$cur"))
      ;;
    "users set" | "users show" | "users remove" | status | verify | enroll | reset | unlock | \
      "backup-codes generate" | "backup-codes status")
      if ((${#args[@]} == 0)); then
        _mfa_words "$(_mfa_user_names "${COMP_WORDS[0]}" "${db_args[@]}")" "$cur"
      fi
      ;;
  esac
}

complete -F _mfa mfa
