/* SPDX-License-Identifier: MIT */
/*
 * A PAM application for the tests: runs pam_authenticate for SERVICE and
 * USER (under pam_wrapper, from a private service folder) and prints what a
 * login program would see: each prompt with its echo style, each message,
 * the result by name (and pam_setcred's after a success), and the
 * PAM_AUTHTOK left for the next module (when pam_get_items.so is stacked
 * after the module under test).
 *   pam_driver SERVICE USER [ANSWER...]   answers the prompts in order
 *   pam_driver -s SERVICE USER ...        the same, with PAM_SILENT
 *   pam_driver -c FOLDER SERVICE USER ... services from FOLDER without
 *                                         pam_wrapper (pam_start_confdir),
 *                                         for a set-user-ID copy
 */
#include <security/pam_appl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct answers {
  char **next;
  char **end;
};

static int converse(int count, const struct pam_message **messages, struct pam_response **responses, void *data)
{
  struct answers *answers = data;
  struct pam_response *reply = calloc((size_t)count, sizeof *reply);
  int i;
  if (reply == NULL) {
    return PAM_BUF_ERR;
  }
  for (i = 0; i < count; ++i) {
    const struct pam_message *message = messages[i];
    switch (message->msg_style) {
    case PAM_PROMPT_ECHO_OFF:
    case PAM_PROMPT_ECHO_ON:
      printf("prompt (echo %s): %s\n", message->msg_style == PAM_PROMPT_ECHO_OFF ? "off" : "on", message->msg);
      if (answers->next == answers->end) {
        printf("no answer left\n");
        free(reply);
        return PAM_CONV_ERR;
      }
      reply[i].resp = strdup(*answers->next++);
      break;
    case PAM_ERROR_MSG:
      printf("error message: %s\n", message->msg);
      break;
    case PAM_TEXT_INFO:
      printf("info message: %s\n", message->msg);
      break;
    default:
      printf("message of style %d: %s\n", message->msg_style, message->msg);
    }
  }
  *responses = reply;
  return PAM_SUCCESS;
}

static const char *result_name(int rc)
{
  switch (rc) {
  case PAM_SUCCESS: return "PAM_SUCCESS";
  case PAM_AUTH_ERR: return "PAM_AUTH_ERR";
  case PAM_MAXTRIES: return "PAM_MAXTRIES";
  case PAM_IGNORE: return "PAM_IGNORE";
  case PAM_USER_UNKNOWN: return "PAM_USER_UNKNOWN";
  case PAM_AUTHINFO_UNAVAIL: return "PAM_AUTHINFO_UNAVAIL";
  case PAM_SERVICE_ERR: return "PAM_SERVICE_ERR";
  case PAM_CONV_ERR: return "PAM_CONV_ERR";
  case PAM_PERM_DENIED: return "PAM_PERM_DENIED";
  default: return "another result";
  }
}

int main(int argc, char **argv)
{
  struct answers answers;
  struct pam_conv conversation = {converse, &answers};
  pam_handle_t *pamh = NULL;
  const char *token = NULL;
  const char *folder = NULL;
  int flags = 0;
  int rc;
  if (argc > 1 && strcmp(argv[1], "-s") == 0) {
    flags = PAM_SILENT;
    ++argv;
    --argc;
  }
  if (argc > 2 && strcmp(argv[1], "-c") == 0) {
    folder = argv[2];
    argv += 2;
    argc -= 2;
  }
  if (argc < 3) {
    fputs("usage: pam_driver [-s] [-c FOLDER] SERVICE USER [ANSWER...]\n", stderr);
    return 2;
  }
  answers.next = argv + 3;
  answers.end = argv + argc;
  rc = folder != NULL ? pam_start_confdir(argv[1], argv[2], &conversation, folder, &pamh)
                      : pam_start(argv[1], argv[2], &conversation, &pamh);
  if (rc != PAM_SUCCESS) {
    fprintf(stderr, "pam_start: %d\n", rc);
    return 2;
  }
  rc = pam_authenticate(pamh, flags);
  printf("result: %s (%d)\n", result_name(rc), rc);
  /* An application may not read PAM_AUTHTOK: pam_wrapper's pam_get_items
   * module, stacked after pam_mfa, reads it as the next module would and
   * leaves it in the PAM environment. */
  token = pam_getenv(pamh, "PAM_AUTHTOK");
  if (token != NULL) {
    printf("authtok: %s\n", token);
  }
  if (rc == PAM_SUCCESS) {
    const int cred = pam_setcred(pamh, PAM_ESTABLISH_CRED);
    printf("setcred: %s (%d)\n", result_name(cred), cred);
  }
  pam_end(pamh, rc);
  return 0;
}
