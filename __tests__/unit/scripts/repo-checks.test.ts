import { describe, expect, it } from '@jest/globals'
import { dependabotProblems, metadataProblems } from '../../../scripts/repo-checks.js'

const DEPENDABOT = `version: 2
updates:
  - package-ecosystem: npm
    directory: /
    schedule:
      interval: weekly
  - package-ecosystem: "github-actions"
    directory: /
    schedule:
      interval: monthly
`

describe('dependabotProblems', () => {
  it('accepts version 2 with npm and github-actions entries', () => {
    expect(dependabotProblems(DEPENDABOT)).toEqual([])
  })
  it.each([
    ['another version', DEPENDABOT.replace('version: 2', 'version: 1'), 'no "version: 2"'],
    ['an ecosystem missing', DEPENDABOT.replace('"github-actions"', 'docker'), 'no update entry for package-ecosystem github-actions'],
    ['a misspelt ecosystem', DEPENDABOT.replace('npm', 'npmjs'), 'no update entry for package-ecosystem npm'],
    ['no directory', DEPENDABOT.replace('    directory: /\n', ''), 'the npm entry needs a directory and a schedule interval (daily, weekly or monthly)'],
    [
      'an unknown interval',
      DEPENDABOT.replace('interval: monthly', 'interval: yearly'),
      'the github-actions entry needs a directory and a schedule interval (daily, weekly or monthly)'
    ]
  ])('reports %s', (_label, text, problem) => {
    expect(dependabotProblems(text)).toEqual([problem])
  })
})

const action = (name: string, description: string, branding = 'branding:\n  icon: upload-cloud\n  color: orange\n'): string =>
  `name: ${name}\ndescription: ${description}\n${branding}inputs:\n  a:\n    description: x\n`

describe('metadataProblems', () => {
  it('accepts actions with names of their own, short descriptions and branding', () => {
    const actions = [
      { path: 'action.yml', text: action('OTA Publish', 'Publish firmware.') },
      { path: 'verify/action.yml', text: action('OTA Verify', '"Verify: on test devices."') }
    ]
    expect(metadataProblems(actions)).toEqual([])
  })
  it('counts the description without its quotes, up to 124 characters', () => {
    expect(metadataProblems([{ path: 'action.yml', text: action('A', `"${'x'.repeat(124)}"`) }])).toEqual([])
    expect(metadataProblems([{ path: 'action.yml', text: action('A', 'x'.repeat(125)) }])).toEqual(['action.yml: description is 125 characters, at most 124'])
  })
  it.each([
    ['a name used twice', [action('Same', 'a'), action('Same', 'b')], ['b/action.yml: name "Same" is also the name of a/action.yml']],
    ['no name', [action('', 'a')], ['a/action.yml: no name']],
    ['a folded description', [action('A', '>')], ['a/action.yml: needs a one-line description']],
    ['no branding', [action('A', 'a', '')], ['a/action.yml: needs branding with icon and color']],
    ['branding without a color', [action('A', 'a', 'branding:\n  icon: upload-cloud\n')], ['a/action.yml: needs branding with icon and color']]
  ])('reports %s', (_label, texts, problems) => {
    expect(metadataProblems(texts.map((text, i) => ({ path: `${'ab'[i]}/action.yml`, text })))).toEqual(problems)
  })
})
