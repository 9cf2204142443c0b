import { runAdapterScenarios } from '@share/test-utils'
// Express 4, installed under an alias: the adapter must work on both majors.
import express4 from 'express4'
import { buildApps } from './apps.js'

runAdapterScenarios('express 4', buildApps(express4 as never), { guards: true })
